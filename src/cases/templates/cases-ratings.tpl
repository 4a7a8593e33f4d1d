{{%AUTOESCAPE context="HTML"}}<h1>{{t_ratings__title}}</h1>
{{#LIST}}<p class="lead">{{t_ratings__intro}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="ratings-caption">
<table>
<caption id="ratings-caption">{{t_ratings__list}}</caption>
<thead><tr><th scope="col">{{t_ratings__service}}</th><th scope="col">{{t_ratings__count}}</th><th scope="col">{{t_ratings__average}}</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><a href="{{HREF}}">{{NAME}}</a></td><td>{{COUNT}}</td><td>{{AVERAGE}}</td></tr>
{{/ROW}}</tbody>
</table>
</div>
{{/LIST}}{{#SERVICE}}<h2>{{NAME}}</h2>
<p class="lead">{{SUMMARY}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="scores-caption">
<table>
<caption id="scores-caption">{{t_ratings__distribution}}</caption>
<thead><tr><th scope="col">{{t_ratings__score}}</th><th scope="col">{{t_ratings__count}}</th><th scope="col">{{t_ratings__percent}}</th></tr></thead>
<tbody>
{{#SCORE}}<tr><th scope="row">{{VALUE}} — {{LABEL}}</th><td>{{COUNT}}</td><td>{{PERCENT}}</td></tr>
{{/SCORE}}</tbody>
</table>
</div>
<h2>{{t_ratings__comments}}</h2>
{{#NO_COMMENTS}}<p>{{t_ratings__no_comments}}</p>
{{/NO_COMMENTS}}<ul class="comments">
{{#COMMENT}}<li><blockquote><p>{{TEXT}}</p></blockquote>
<p class="hint">{{SCORE}} · {{DATE}} · {{#CASE_LINK}}<a href="{{CASE_HREF}}"><bdi dir="ltr">{{TRACKING}}</bdi></a>{{/CASE_LINK}}{{#CASE_TEXT}}<bdi dir="ltr">{{TRACKING}}</bdi>{{/CASE_TEXT}}</p></li>
{{/COMMENT}}</ul>
<p><a href="{{BACK}}">{{t_ratings__back}}</a></p>
{{/SERVICE}}
