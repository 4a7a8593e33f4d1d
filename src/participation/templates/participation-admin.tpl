{{%AUTOESCAPE context="HTML"}}<h1>{{t_participation__admin__title}}</h1>
<p class="lead">{{t_participation__admin__intro}}</p>
<p><a href="{{PUBLIC_HREF}}">{{t_participation__admin__public}}</a></p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ALERT}}<div class="notice" role="alert"><p>{{NOTICE}}</p></div>
{{/HAS_ALERT}}
<h2>{{t_participation__admin__processes}}</h2>
{{#NO_PROCESSES}}<p>{{t_participation__admin__no_processes}}</p>
{{/NO_PROCESSES}}<ul>
{{#PROCESS}}<li><a href="{{HREF}}">{{TITLE}}</a> · {{PHASE}}</li>
{{/PROCESS}}</ul>
<h2>{{t_participation__org__pending}}</h2>
{{#NO_PENDING}}<p>{{t_participation__org__no_pending}}</p>
{{/NO_PENDING}}<ul class="history">
{{#PENDING}}<li><h3 dir="auto">{{NAME}}</h3>
<p>{{KIND}} · {{t_participation__org__registration}} <span dir="ltr">{{REGISTRATION}}</span> · {{MEMBERS}}</p>
<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field"><label for="documents-{{TOKEN}}">{{t_participation__org__documents}}</label><p class="hint" id="documents-{{TOKEN}}-hint">{{t_participation__org__documents_hint}}</p><input type="text" id="documents-{{TOKEN}}" name="documents" aria-describedby="documents-{{TOKEN}}-hint" required></div>
<button type="submit" class="button">{{t_participation__org__verify}}<span class="visually-hidden"> {{NAME}}</span></button></form></li>
{{/PENDING}}</ul>
<h2>{{t_participation__admin__create}}</h2>
{{>FORM}}
