{{%AUTOESCAPE context="HTML"}}<h1>{{t_departments__title}}</h1>
<p class="lead">{{t_departments__intro}}</p>
{{#DONE}}<div class="notice" role="status"><p>{{TEXT}}</p></div>
{{/DONE}}{{#BUSY}}<div class="error-summary" role="alert" tabindex="-1">
<h2>{{TEXT}}</h2>
<ul>
{{#BUSY_SERVICE}}<li><a href="{{HREF}}">{{LABEL}}</a></li>
{{/BUSY_SERVICE}}</ul>
{{#HAS_CASES}}<p>{{CASES_TEXT}}</p>
<ul>
{{#BUSY_CASE}}<li>{{#LINKED}}<a href="{{HREF}}" dir="ltr">{{TRACKING}}</a>{{/LINKED}}{{#UNLINKED}}<bdi dir="ltr">{{TRACKING}}</bdi>{{/UNLINKED}}</li>
{{/BUSY_CASE}}</ul>
{{/HAS_CASES}}</div>
{{/BUSY}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="departments-caption">
<table>
<caption id="departments-caption">{{t_departments__list}}</caption>
<thead><tr><th scope="col">{{t_departments__name}}</th><th scope="col">{{t_departments__phone}}</th><th scope="col">{{t_departments__email}}</th><th scope="col">{{t_departments__status}}</th><th scope="col">{{t_departments__actions}}</th></tr></thead>
<tbody>
{{#DEPARTMENT}}<tr><td>{{NAME}}</td><td><bdi dir="ltr">{{PHONE}}</bdi></td><td><bdi dir="ltr">{{EMAIL}}</bdi></td>
<td>{{#ENABLED}}{{t_departments__status_enabled}}{{/ENABLED}}{{#DISABLED}}<span class="tag">{{t_departments__status_disabled}}</span>{{/DISABLED}}</td>
<td><a href="{{EDIT_HREF}}">{{t_departments__edit}}<span class="visually-hidden"> {{NAME}}</span></a>
<form method="post" action="{{TOGGLE_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button button-secondary">{{TOGGLE_LABEL}} <span class="visually-hidden">{{NAME}}</span></button></form></td></tr>
{{/DEPARTMENT}}</tbody>
</table>
</div>
<h2>{{t_departments__add}}</h2>
{{>FORM}}
