{{%AUTOESCAPE context="HTML"}}<h1>{{t_municipalities__title}}</h1>
<p class="lead">{{t_municipalities__intro}}</p>
{{#ADDED}}<div class="notice" role="status"><p>{{TEXT}} <a href="{{ADDED_HREF}}">{{t_municipalities__next}}</a></p></div>
{{/ADDED}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="municipalities-caption">
<table>
<caption id="municipalities-caption">{{t_municipalities__list}}</caption>
<thead><tr><th scope="col">{{t_municipalities__name}}</th><th scope="col">{{t_municipalities__governorate}}</th><th scope="col">{{t_municipalities__actions}}</th></tr></thead>
<tbody>
{{#MUNICIPALITY}}<tr><td><a href="/m/{{SLUG}}">{{NAME}}</a></td><td>{{GOVERNORATE}}</td>
<td><a href="/m/{{SLUG}}/staff">{{t_municipalities__staff}}<span class="visually-hidden"> {{NAME}}</span></a></td></tr>
{{/MUNICIPALITY}}</tbody>
</table>
</div>
<h2>{{t_municipalities__add}}</h2>
{{>FORM}}
