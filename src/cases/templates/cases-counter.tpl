{{%AUTOESCAPE context="HTML"}}<h1>{{t_counter__title}}</h1>
<p class="lead">{{t_counter__intro}}</p>
{{#FILED}}<div class="notice" role="status">
<h2>{{t_counter__filed}}</h2>
<p class="tracking"><strong dir="ltr">{{TRACKING}}</strong></p>
<p>{{t_counter__tell}}</p>
</div>
{{/FILED}}{{#DELETED}}<div class="notice" role="status"><p>{{t_delete_draft__done}}</p></div>
{{/DELETED}}{{>FORM}}
<p><a href="{{NEW_CALLER}}">{{t_counter_new__link}}</a></p>
