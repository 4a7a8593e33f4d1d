{{%AUTOESCAPE context="HTML"}}<h1>{{t_documents__verify__title}}</h1>
<p class="lead">{{t_documents__verify__intro}}</p>
{{#HAS_ERROR}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_documents__verify__refused}}</h2>
<ul><li><a href="#code">{{ERROR}}</a></li></ul>
</div>
{{/HAS_ERROR}}{{#RESULT}}<section aria-labelledby="result-title" class="notice" role="status" data-outcome="{{OUTCOME_KEY}}">
<h2 id="result-title">{{OUTCOME}}</h2>
{{#HAS_TITLE}}<p><strong>{{TITLE}}</strong></p>
{{/HAS_TITLE}}<dl class="contact">
<dt>{{t_documents__number}}</dt><dd dir="ltr">{{NUMBER}}</dd>
<dt>{{t_documents__kind_label}}</dt><dd>{{KIND}}</dd>
<dt>{{t_documents__holder}}</dt><dd>{{HOLDER}}</dd>
<dt>{{t_documents__holder_id}}</dt><dd dir="ltr">{{HOLDER_ID}}</dd>
<dt>{{t_documents__issued}}</dt><dd>{{ISSUED}}</dd>
<dt>{{t_documents__expires}}</dt><dd>{{EXPIRES}}</dd>
<dt>{{t_documents__office}}</dt><dd>{{OFFICE}}</dd>
{{#FACT}}<dt>{{LABEL}}</dt><dd>{{VALUE}}</dd>
{{/FACT}}</dl>
{{#REVOKED}}<p>{{t_documents__revoked_on}} {{REVOKED_AT}}: {{REASON}}</p>
{{/REVOKED}}</section>
{{/RESULT}}<form method="get" action="/verify" novalidate>
<div class="field">
<label for="code">{{t_documents__verify__code}}</label>
<p class="hint" id="code-hint">{{t_documents__verify__code_hint}}</p>
<textarea id="code" name="code" rows="5" dir="ltr" aria-describedby="code-hint"{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}>{{CODE}}</textarea>
</div>
<button type="submit" class="button">{{t_documents__verify__submit}}</button>
</form>
<p><a href="/.well-known/baladiya/document-keys.json">{{t_documents__verify__keys}}</a> · <a href="/.well-known/baladiya/revoked-documents.json">{{t_documents__verify__revoked_list}}</a></p>
