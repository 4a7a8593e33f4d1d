{{%AUTOESCAPE context="HTML"}}<h1>{{t_followed__title}}</h1>
<p>{{t_followed__intro}}</p>
{{#EMPTY}}<p>{{t_followed__empty}}</p>
{{/EMPTY}}{{#HAS_CASES}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="followed-caption">
<table>
<caption id="followed-caption">{{t_followed__list}}</caption>
<thead><tr><th scope="col">{{t_case__tracking}}</th><th scope="col">{{t_case__service}}</th><th scope="col">{{t_case__state}}</th><th scope="col">{{t_case__submitted}}</th></tr></thead>
<tbody>
{{#CASE}}<tr><td><a href="{{HREF}}"><bdi dir="ltr">{{TRACKING}}</bdi></a></td><td>{{SERVICE}}</td><td>{{STATE}}</td><td>{{SUBMITTED}}</td></tr>
{{/CASE}}</tbody>
</table>
</div>
{{/HAS_CASES}}<p><a href="/account/cases">{{t_case__back_mine}}</a></p>
