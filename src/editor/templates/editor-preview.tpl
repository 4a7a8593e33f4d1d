{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<div class="notice" role="note"><p><strong>{{t_editor__preview__title}}</strong>: {{BANNER}}</p></div>
<h1>{{NAME}}</h1>
<p class="lead">{{DESCRIPTION}}</p>
<dl>
<dt>{{t_editor__preview__fee}}</dt><dd>{{FEE}}</dd>
<dt>{{t_editor__preview__time}}</dt><dd>{{SLA}}</dd>
</dl>
{{#HAS_ELIGIBILITY}}<h2>{{t_editor__preview__eligibility}}</h2>
<p>{{ELIGIBILITY}}</p>
{{/HAS_ELIGIBILITY}}{{#HAS_DOCUMENTS}}<h2>{{t_editor__preview__documents}}</h2>
<ul>
{{#DOCUMENT}}<li>{{TEXT}}</li>
{{/DOCUMENT}}</ul>
{{/HAS_DOCUMENTS}}<h2>{{t_editor__preview__form}}</h2>
{{#PAGE}}<section class="card">
<p class="meta">{{PAGE_NUMBER}}</p>
<h3>{{PAGE_TITLE}}</h3>
<ul>
{{#FIELD}}<li><strong>{{LABEL}}</strong>{{#OPTIONAL}} ({{t_editor__preview__optional}}){{/OPTIONAL}}{{#HAS_HELP}}<br><span class="hint">{{HELP}}</span>{{/HAS_HELP}}{{#HAS_CONDITION}}<br><span class="hint">{{CONDITION}}</span>{{/HAS_CONDITION}}{{#HAS_OPTIONS}}<ul>
{{#OPTION}}<li>{{TEXT}}</li>
{{/OPTION}}</ul>{{/HAS_OPTIONS}}</li>
{{/FIELD}}</ul>
</section>
{{/PAGE}}<p><a href="{{VERSIONS_HREF}}">{{t_editor__versions__title}}</a></p>
<p><a href="{{SERVICE_HREF}}">{{t_editor__back}}</a></p>
