{{%AUTOESCAPE context="HTML"}}<p class="meta">{{KIND}} · <a href="{{CASE_HREF}}">{{t_documents__case}} <bdi dir="ltr">{{TRACKING}}</bdi></a></p>
<h1>{{TITLE}}</h1>
{{#JUST_REVOKED}}<div class="notice" role="status"><p>{{t_documents__revoke__done}}</p></div>
{{/JUST_REVOKED}}{{#HAS_ERROR}}<div class="error-summary" role="alert"><p>{{ERROR}}</p></div>
{{/HAS_ERROR}}<dl class="contact">
<dt>{{t_documents__number}}</dt><dd dir="ltr">{{NUMBER}}</dd>
<dt>{{t_documents__standing}}</dt><dd><span class="badge {{STANDING_CLASS}}">{{STANDING}}</span></dd>
<dt>{{t_documents__holder}}</dt><dd>{{HOLDER}}</dd>
<dt>{{t_documents__holder_id}}</dt><dd dir="ltr">{{HOLDER_ID}}</dd>
<dt>{{t_documents__issued}}</dt><dd>{{ISSUED}}</dd>
<dt>{{t_documents__expires}}</dt><dd>{{EXPIRES}}</dd>
<dt>{{t_documents__office}}</dt><dd>{{OFFICE}}</dd>
</dl>
{{#REVOKED}}<div class="notice" role="status"><p>{{t_documents__revoked_on}} {{REVOKED_AT}}: {{REASON}}</p></div>
{{/REVOKED}}<h2>{{t_documents__text}}</h2>
{{#PARAGRAPH}}<p>{{TEXT}}</p>
{{/PARAGRAPH}}<h2>{{t_documents__facts}}</h2>
<dl class="contact">
{{#FACT}}<dt>{{LABEL}}</dt><dd>{{VALUE}}</dd>
{{/FACT}}</dl>
<h2>{{t_documents__check}}</h2>
<p>{{t_documents__check_intro}}</p>
<div class="qr" role="img" aria-label="{{t_documents__qr_alt}}">{{QR_SVG:none}}</div>
<p><a href="{{VERIFY_HREF}}">{{t_documents__verify_link}}</a></p>
<div class="field">
<label for="code">{{t_documents__code}}</label>
<textarea id="code" rows="4" dir="ltr" readonly>{{CODE}}</textarea>
</div>
{{#HAS_PDF}}<p><a href="{{PDF_HREF}}" class="button" download>{{t_documents__download_pdf}}</a> ({{PDF_SIZE}} KB)</p>
<p>SHA-256: <code dir="ltr">{{SHA256}}</code></p>
{{/HAS_PDF}}{{#CAN_REVOKE}}<h2>{{t_documents__revoke__title}}</h2>
<form method="post" action="{{REVOKE_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="reason">{{t_documents__revoke__reason}}</label>
{{#HAS_ERROR}}<p id="reason-error" class="error-message">{{ERROR}}</p>
{{/HAS_ERROR}}<textarea id="reason" name="reason" rows="3" aria-required="true"{{#HAS_ERROR}} aria-invalid="true" aria-describedby="reason-error"{{/HAS_ERROR}}></textarea>
</div>
<button type="submit" class="button button-secondary">{{t_documents__revoke__submit}}</button>
</form>
{{/CAN_REVOKE}}
