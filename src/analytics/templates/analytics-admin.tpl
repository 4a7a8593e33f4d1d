{{%AUTOESCAPE context="HTML"}}<p><a href="{{SERVICES_HREF}}">{{t_kpi__admin__services}}</a></p>
<h1>{{t_kpi__admin__title}}</h1>
<p class="lead">{{t_kpi__admin__intro}}</p>
{{#SAVED}}<div class="notice" role="status"><p>{{t_kpi__admin__saved}}</p></div>{{/SAVED}}
{{>FORM}}
<p><a href="{{PERFORMANCE_HREF}}">{{t_kpi__admin__performance}}</a></p>
