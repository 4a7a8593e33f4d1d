{{%AUTOESCAPE context="HTML"}}<h1>{{t_delete_draft__title}}</h1>
<p>{{QUESTION}}</p>
<form method="post" action="{{ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="actions">
<button type="submit" class="button">{{t_delete_draft__submit}}</button>
</div>
</form>
<p><a href="{{BACK_HREF}}">{{t_delete_draft__back}}</a></p>
