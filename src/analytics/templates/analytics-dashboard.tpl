{{%AUTOESCAPE context="HTML"}}<h1>{{t_kpi__dashboard__title}}</h1>
<p class="lead">{{t_kpi__dashboard__intro}}</p>
<h2 id="backlog-title">{{t_kpi__dashboard__backlog}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="backlog-caption">
<table>
<caption id="backlog-caption">{{t_kpi__dashboard__backlog}}</caption>
<thead><tr><th scope="col">{{t_kpi__dashboard__service}}</th><th scope="col">{{t_kpi__dashboard__open}}</th><th scope="col">{{t_kpi__dashboard__overdue}}</th><th scope="col">{{t_kpi__dashboard__week}}</th></tr></thead>
<tbody>
{{#BACKLOG}}<tr><th scope="row">{{SERVICE}}</th><td>{{OPEN}}</td><td>{{OVERDUE}}</td><td>{{WEEK}}</td></tr>
{{/BACKLOG}}</tbody>
</table>
</div>
<h2>{{t_kpi__dashboard__at_risk}}</h2>
{{#NO_RISK}}<p>{{t_kpi__dashboard__no_risk}}</p>{{/NO_RISK}}
<ul>
{{#RISK}}<li><a href="{{HREF}}" dir="ltr">{{TRACKING}}</a> — {{SERVICE}} — {{t_kpi__dashboard__due}} {{DUE}}</li>
{{/RISK}}</ul>
<h2>{{t_kpi__dashboard__load}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="load-caption">
<table>
<caption id="load-caption">{{t_kpi__dashboard__load}}</caption>
<thead><tr><th scope="col">{{t_kpi__dashboard__clerk}}</th><th scope="col">{{t_kpi__dashboard__cases}}</th></tr></thead>
<tbody>
{{#LOAD}}<tr><th scope="row">{{CLERK}}</th><td>{{CASES}}</td></tr>
{{/LOAD}}</tbody>
</table>
</div>
<p><a href="{{QUEUE_HREF}}">{{t_kpi__dashboard__queue}}</a></p>
<p><a href="{{PERFORMANCE_HREF}}">{{t_kpi__dashboard__performance}}</a></p>
