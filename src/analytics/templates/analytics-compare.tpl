{{%AUTOESCAPE context="HTML"}}<h1>{{TITLE}}</h1>
<p class="lead">{{PERIOD}}</p>
<p>{{t_kpi__compare__intro}}</p>
{{#METRIC}}<section aria-labelledby="metric-{{ID}}">
<h2 id="metric-{{ID}}">{{METRIC_TITLE}}</h2>
<figure class="kpi-figure">{{SVG:none}}</figure>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="metric-table-{{ID}}">
<table>
<caption id="metric-table-{{ID}}">{{METRIC_TITLE}}</caption>
<thead><tr><th scope="col">{{t_kpi__compare__rank}}</th><th scope="col">{{t_kpi__compare__municipality}}</th><th scope="col">{{t_kpi__compare__value}}</th><th scope="col">{{t_kpi__compare__trend}}</th></tr></thead>
<tbody>
{{#ROW}}<tr><td>{{RANK}}</td><th scope="row"><a href="{{HREF}}">{{NAME}}</a></th><td>{{VALUE}}</td><td>{{TREND}}</td></tr>
{{/ROW}}</tbody>
</table>
</div>
</section>
{{/METRIC}}<h2 id="services-across">{{t_kpi__compare__services}}</h2>
<p>{{t_kpi__compare__services_intro}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="services-caption">
<table>
<caption id="services-caption">{{t_kpi__compare__services}}</caption>
<thead><tr><th scope="col">{{t_kpi__compare__service}}</th>{{#MUNICIPALITY_HEAD}}<th scope="col">{{NAME}}</th>{{/MUNICIPALITY_HEAD}}</tr></thead>
<tbody>
{{#SERVICE_ROW}}<tr><th scope="row">{{SERVICE}}</th>{{#CELL}}<td>{{TEXT}}</td>{{/CELL}}</tr>
{{/SERVICE_ROW}}</tbody>
</table>
</div>
