{{%AUTOESCAPE context="HTML"}}<h1>{{t_export__title}}</h1>
<p class="lead">{{t_export__intro}}</p>
<p><a class="button" href="/account/export.json" download>{{t_export__download}}</a></p>
<h2>{{t_export__account}}</h2>
<dl class="export">
{{#ACCOUNT_FIELD}}<dt>{{LABEL}}</dt><dd dir="auto">{{VALUE}}</dd>
{{/ACCOUNT_FIELD}}</dl>
{{#SECTION}}<section aria-labelledby="export-{{KEY}}">
<h2 id="export-{{KEY}}">{{TITLE}}</h2>
{{#NONE}}<p>{{t_export__none}}</p>
{{/NONE}}{{#RECORD}}<h3 dir="auto">{{TITLE}}</h3>
<dl class="export">
{{#FIELD}}<dt>{{LABEL}}</dt><dd dir="auto">{{VALUE}}</dd>
{{/FIELD}}</dl>
{{#GROUP}}<h4>{{TITLE}}</h4>
<ul>
{{#ROW}}<li dir="auto">{{LINE}}</li>
{{/ROW}}</ul>
{{/GROUP}}{{/RECORD}}</section>
{{/SECTION}}<p><a href="/account">{{t_account__back}}</a></p>
