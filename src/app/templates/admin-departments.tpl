{{%AUTOESCAPE context="HTML"}}<h1>{{t_departments__title}}</h1>
<p class="lead">{{t_departments__intro}}</p>
{{#DONE}}<div class="notice" role="status"><p>{{TEXT}}</p></div>
{{/DONE}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="departments-caption">
<table>
<caption id="departments-caption">{{t_departments__list}}</caption>
<thead><tr><th scope="col">{{t_departments__name}}</th><th scope="col">{{t_departments__phone}}</th><th scope="col">{{t_departments__email}}</th><th scope="col">{{t_departments__actions}}</th></tr></thead>
<tbody>
{{#DEPARTMENT}}<tr><td>{{NAME}}</td><td><bdi dir="ltr">{{PHONE}}</bdi></td><td><bdi dir="ltr">{{EMAIL}}</bdi></td>
<td><a href="{{EDIT_HREF}}">{{t_departments__edit}}<span class="visually-hidden"> {{NAME}}</span></a></td></tr>
{{/DEPARTMENT}}</tbody>
</table>
</div>
<h2>{{t_departments__add}}</h2>
{{>FORM}}
