{{%AUTOESCAPE context="HTML"}}<h1>{{t_open311_keys__confirm_title}}</h1>
<dl class="contact">
<dt>{{t_open311_keys__label}}</dt><dd><bdi>{{LABEL}}</bdi></dd>
<dt>{{t_open311_keys__created}}</dt><dd>{{CREATED}}</dd>
</dl>
<p>{{t_open311_keys__confirm_text}}</p>
<form method="post" action="{{ACTION_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="confirm" value="yes">
<button type="submit" class="button">{{t_open311_keys__confirm_submit}}</button>
</form>
<p><a href="{{LIST_HREF}}">{{t_open311_keys__cancel}}</a></p>
