{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<h1>{{TITLE}}</h1>
<p>{{t_editor__withdraw__what}}</p>
<ul>
<li>{{t_editor__withdraw__no_new}}</li>
<li>{{t_editor__withdraw__drafts}}</li>
<li>{{t_editor__withdraw__cases}}</li>
</ul>
<form method="post" action="{{ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="publish" value="no">
<input type="hidden" name="confirmed" value="yes">
<button type="submit" class="button">{{t_editor__withdraw__confirm}}</button>
</form>
<p><a href="{{SERVICE_HREF}}">{{t_editor__withdraw__cancel}}</a></p>
