{{%AUTOESCAPE context="HTML"}}<p><a href="{{LIST_HREF}}">{{t_departments__back}}</a></p>
<h1>{{t_departments__edit_title}}</h1>
<p class="lead">{{NAME}}</p>
<p>{{t_departments__edit_intro}}</p>
{{>FORM}}
