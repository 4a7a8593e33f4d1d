{{%AUTOESCAPE context="HTML"}}<h1>{{t_mine__title}}</h1>
{{#SAVED}}<div class="notice" role="status"><p>{{SAVED_TEXT}}</p></div>
{{/SAVED}}{{#DELETED}}<div class="notice" role="status"><p>{{t_delete_draft__done}}</p></div>
{{/DELETED}}{{#FULL}}<div class="error-summary" role="alert"><p>{{t_cases__too_many_drafts}}</p></div>
{{/FULL}}{{#EMPTY}}<p>{{t_mine__empty}}</p>
{{/EMPTY}}{{#HAS_CASES}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="cases-caption">
<table>
<caption id="cases-caption">{{t_mine__list}}</caption>
<thead><tr><th scope="col">{{t_case__tracking}}</th><th scope="col">{{t_case__service}}</th><th scope="col">{{t_case__state}}</th><th scope="col">{{t_case__submitted}}</th></tr></thead>
<tbody>
{{#CASE}}<tr><td><a href="{{HREF}}"><bdi dir="ltr">{{TRACKING}}</bdi></a></td><td>{{SERVICE}}</td><td>{{STATE}}</td><td>{{SUBMITTED}}</td></tr>
{{/CASE}}</tbody>
</table>
</div>
{{/HAS_CASES}}{{#HAS_DRAFTS}}<h2>{{t_mine__drafts}}</h2>
<ul>
{{#DRAFT}}<li><a href="{{HREF}}">{{SERVICE}}</a> <span class="meta">{{UPDATED}} · {{KEPT}}</span> <a href="{{DELETE_HREF}}">{{t_delete_draft__link}}<span class="visually-hidden">: {{SERVICE}}</span></a></li>
{{/DRAFT}}</ul>
{{/HAS_DRAFTS}}
<p><a href="/account/followed">{{t_followed__link}}</a></p>
