{{%AUTOESCAPE context="HTML"}}<h1>{{t_kpi__open_data__title}}</h1>
<p class="lead">{{t_kpi__open_data__intro}}</p>
<p>{{t_kpi__open_data__licence}} <a href="{{LICENCE_HREF}}" rel="license">{{LICENCE}}</a></p>
<p>{{t_kpi__open_data__suppressed}}</p>
<h2>{{t_kpi__open_data__datasets}}</h2>
<ul>
<li><a href="{{CSV_HREF}}">{{t_kpi__open_data__csv}}</a></li>
<li><a href="{{JSON_HREF}}">{{t_kpi__open_data__json}}</a></li>
<li><a href="{{PAYMENTS_CSV_HREF}}">{{t_kpi__open_data__payments_csv}}</a></li>
<li><a href="{{PAYMENTS_JSON_HREF}}">{{t_kpi__open_data__payments_json}}</a></li>
<li><a href="{{REPORTS_HREF}}">{{t_kpi__open_data__reports}}</a></li>
<li><a href="{{CATALOG_HREF}}">{{t_kpi__open_data__catalog}}</a></li>
</ul>
<p><a href="{{PERFORMANCE_HREF}}">{{t_kpi__open_data__back}}</a></p>
