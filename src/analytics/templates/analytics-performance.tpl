{{%AUTOESCAPE context="HTML"}}<h1>{{TITLE}}</h1>
<p class="lead">{{PERIOD}}</p>
<p>{{t_kpi__intro}}</p>
<h2>{{t_kpi__headline}}</h2>
<dl class="kpi-figures">
{{#FIGURE}}<div><dt>{{LABEL}}</dt><dd>{{VALUE}}</dd></div>
{{/FIGURE}}</dl>
{{#HAS_POPULATION}}<p>{{POPULATION}}</p>{{/HAS_POPULATION}}
{{#HAS_ALL}}<p><a href="{{ALL_HREF}}">{{t_kpi__all_services}}</a></p>{{/HAS_ALL}}
{{#CHART}}<section class="kpi-chart-section" aria-labelledby="chart-{{ID}}">
<h2 id="chart-{{ID}}">{{CHART_TITLE}}</h2>
<p>{{SENTENCE}}</p>
<figure class="kpi-figure">{{SVG:none}}</figure>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-{{ID}}">
<table>
<caption id="table-{{ID}}">{{CAPTION}}</caption>
<thead><tr><th scope="col">{{t_kpi__col__month}}</th>{{#HEAD}}<th scope="col">{{TEXT}}</th>{{/HEAD}}</tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row">{{MONTH}}</th>{{#VALUE}}<td>{{TEXT}}</td>{{/VALUE}}</tr>
{{/ROW}}</tbody>
</table>
</div>
</section>
{{/CHART}}{{#PARTICIPATION}}<h2>{{t_kpi__participation__title}}</h2>
<dl>
{{#P_FIGURE}}<dt>{{LABEL}}</dt><dd>{{VALUE}}</dd>
{{/P_FIGURE}}</dl>
{{/PARTICIPATION}}{{#SERVICES}}<h2>{{t_kpi__by_service}}</h2>
<ul>
{{#SERVICE}}<li><a href="{{SERVICE_HREF}}">{{SERVICE_NAME}}</a></li>
{{/SERVICE}}</ul>
{{/SERVICES}}
<h2>{{t_kpi__more}}</h2>
<ul>
<li><a href="{{OPEN_DATA_HREF}}">{{t_kpi__open_data__link}}</a></li>
<li><a href="{{COMPARE_HREF}}">{{t_kpi__compare__link}}</a></li>
<li><a href="{{MUNICIPALITY_HREF}}">{{t_kpi__back}}</a></li>
</ul>
