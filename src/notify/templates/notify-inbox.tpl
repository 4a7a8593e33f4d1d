{{%AUTOESCAPE context="HTML"}}<h1>{{t_inbox__title}}</h1>
{{#EMPTY}}<p>{{t_inbox__empty}}</p>
{{/EMPTY}}{{#HAS_UNREAD}}<form method="post" action="/account/notifications/read">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="button button-secondary">{{t_inbox__mark_read}}</button>
</form>
{{/HAS_UNREAD}}<ul class="inbox">
{{#ITEM}}<li{{#UNREAD}} class="unread"{{/UNREAD}}>
<h2>{{TITLE}}{{#UNREAD}} <span class="badge">{{t_inbox__new}}</span>{{/UNREAD}}</h2>
<p class="meta"><time datetime="{{ISO}}">{{WHEN}}</time></p>
<p>{{TEXT}}</p>
</li>
{{/ITEM}}</ul>
<p><a href="/account">{{t_account__back}}</a></p>
