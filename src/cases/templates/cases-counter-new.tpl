{{%AUTOESCAPE context="HTML"}}<h1>{{t_counter_new__title}}</h1>
<p class="lead">{{t_counter_new__intro}}</p>
{{>FORM}}
<p><a href="{{BACK}}">{{t_counter_new__back}}</a></p>
