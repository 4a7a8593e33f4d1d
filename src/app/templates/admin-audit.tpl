{{%AUTOESCAPE context="HTML"}}<h1>{{t_audit__title}}</h1>
<p class="lead">{{t_audit__intro}}</p>
{{#ERRORS}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_audit__error__title}}</h2>
<ul>
{{#ERROR}}<li><a href="{{HREF}}">{{MESSAGE}}</a></li>
{{/ERROR}}</ul>
</div>
{{/ERRORS}}<form method="get" action="{{HREF}}">
<h2>{{t_audit__filters}}</h2>
<div class="field"><label for="from">{{t_audit__from}}</label>
<p class="hint" id="from-hint">{{t_audit__date_hint}}</p>
<input type="date" id="from" name="from" value="{{FROM}}" dir="ltr" aria-describedby="from-hint"></div>
<div class="field"><label for="to">{{t_audit__to}}</label>
<input type="date" id="to" name="to" value="{{TO}}" dir="ltr" aria-describedby="from-hint"></div>
<div class="field"><label for="person">{{t_audit__person}}</label>
<select id="person" name="person"><option value="">{{t_audit__anyone}}</option>
{{#PERSON_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/PERSON_OPTION}}</select></div>
<div class="field"><label for="case">{{t_audit__case}}</label>
<p class="hint" id="case-hint">{{t_audit__case_hint}}</p>
<input type="text" id="case" name="case" value="{{CASE}}" dir="ltr" autocomplete="off" spellcheck="false" aria-describedby="case-hint"></div>
<div class="field"><label for="service">{{t_audit__service}}</label>
<select id="service" name="service"><option value="">{{t_audit__any_service}}</option>
{{#SERVICE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/SERVICE_OPTION}}</select></div>
<div class="field"><label for="action">{{t_audit__action}}</label>
<select id="action" name="action"><option value="">{{t_audit__any_action}}</option>
{{#ACTION_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/ACTION_OPTION}}</select></div>
<button type="submit" class="button">{{t_audit__filter_submit}}</button>
{{#HAS_CLEAR}}<a href="{{CLEAR}}">{{t_audit__clear}}</a>{{/HAS_CLEAR}}
</form>
<p><a href="{{EXPORT}}" download>{{t_audit__export}}</a></p>
<p class="hint">{{t_audit__zone}} <span dir="ltr">{{ZONE}}</span></p>
{{#EMPTY}}<p role="status">{{t_audit__empty}}</p>
{{/EMPTY}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-caption">
<table>
<caption id="table-caption">{{t_audit__list}}</caption>
<thead><tr><th scope="col">#</th><th scope="col">{{t_audit__time}}</th><th scope="col">{{t_audit__action}}</th><th scope="col">{{t_audit__actor}}</th><th scope="col">{{t_audit__object}}</th><th scope="col">{{t_audit__changes}}</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td>{{INDEX}}</td><td><time datetime="{{ISO}}">{{DATE}} {{TIME}}</time></td><td>{{ACTION_NAME}}<br><code dir="ltr" class="hint">{{ACTION_KEY}}</code></td><td>{{#HAS_ACTOR_NAME}}{{ACTOR_NAME}}{{/HAS_ACTOR_NAME}}{{#HAS_ACTOR_CODE}}<code dir="ltr">{{ACTOR_CODE}}</code>{{/HAS_ACTOR_CODE}}</td><td>{{#OBJECT_LINK}}<a href="{{HREF}}"{{#LTR}} dir="ltr"{{/LTR}}>{{TEXT}}</a>{{/OBJECT_LINK}}{{#HAS_OBJECT_NAME}}{{OBJECT_NAME}}{{/HAS_OBJECT_NAME}}{{#HAS_OBJECT_CODE}}<code dir="ltr">{{OBJECT_CODE}}</code>{{/HAS_OBJECT_CODE}}</td><td>{{#CHANGE}}<div>{{FIELD}}: <bdi>{{BEFORE}}</bdi> {{t_audit__arrow}} <bdi>{{AFTER}}</bdi></div>{{/CHANGE}}{{#ALTERED}}<strong>{{t_audit__altered}}</strong>{{/ALTERED}}</td></tr>
{{/ENTRY}}</tbody>
</table>
</div>
{{#HAS_NEWEST}}<p><a href="{{NEWEST}}">{{t_audit__newest}}</a></p>{{/HAS_NEWEST}}{{#HAS_OLDER}}<p><a href="{{OLDER}}">{{t_audit__older}}</a></p>{{/HAS_OLDER}}
