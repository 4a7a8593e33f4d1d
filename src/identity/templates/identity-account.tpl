{{%AUTOESCAPE context="HTML"}}<h1>{{t_account__title}}</h1>
<p class="lead">{{NAME}}</p>
<dl class="contact">
{{#DETAIL}}<dt>{{LABEL}}</dt><dd dir="auto">{{VALUE}}</dd>
{{/DETAIL}}<dt>{{t_account__totp}}</dt><dd>{{TOTP_STATUS}}</dd>
</dl>
<h2>{{t_account__actions}}</h2>
<ul>
{{#LINK}}<li><a href="{{HREF}}">{{LABEL}}</a></li>
{{/LINK}}<li><a href="/account/security">{{t_account__security}}</a></li>
<li><a href="/account/totp">{{t_account__totp_setup}}</a></li>
<li><a href="/account/export">{{t_account__export}}</a></li>
<li><a href="/account/close">{{t_account__close}}</a></li>
</ul>
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="button">{{t_account__logout}}</button>
</form>
