{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__close__back}}</a></p>
<h1>{{t_payments__close__title}}</h1>
<p class="lead">{{t_payments__close__intro}} {{t_payments__session__opening}}: {{OPENING}}.</p>
{{>FORM}}
