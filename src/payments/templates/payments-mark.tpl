{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__camt__back}}</a></p>
<h1>{{t_payments__camt__mark_title}}</h1>
{{>FORM}}
