{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__void__back}}</a></p>
<h1>{{t_payments__camt__title}}</h1>
<p class="lead">{{t_payments__camt__intro}}</p>
{{#HAS_ERROR}}<div class="notice" role="alert"><p>{{ERROR}}</p></div>
{{/HAS_ERROR}}{{#HAS_DONE}}<div class="notice" role="status"><p>{{DONE}}</p></div>
{{/HAS_DONE}}<form method="post" action="{{ACTION}}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field">
<label for="statement">{{t_payments__camt__file}}</label>
<p class="hint" id="statement-hint">{{t_payments__camt__file_hint}}</p>
<input type="file" id="statement" name="statement" accept=".xml,application/xml,text/xml" aria-describedby="statement-hint">
</div>
<button type="submit">{{t_payments__camt__import}}</button>
</form>
<h2>{{t_payments__camt__unmatched_entries}}</h2>
{{#NO_UNMATCHED}}<p>{{t_payments__camt__none}}</p>
{{/NO_UNMATCHED}}<ul>
{{#UNMATCHED}}<li><bdi dir="ltr">{{REF}}</bdi>, {{BOOKED}}: {{AMOUNT}} <bdi dir="ltr">{{REFERENCE}}</bdi> · <a href="{{MARK_HREF}}">{{t_payments__camt__mark}}<span class="visually-hidden"> <bdi dir="ltr">{{REF}}</bdi></span></a></li>
{{/UNMATCHED}}</ul>
<h2>{{t_payments__camt__unmatched_payments}}</h2>
{{#NO_PAYMENTS}}<p>{{t_payments__camt__none}}</p>
{{/NO_PAYMENTS}}<ul>
{{#PAYMENT}}<li><a href="{{RECEIPT_HREF}}"><bdi dir="ltr">{{RECEIPT}}</bdi></a>: {{METHOD}}, {{AMOUNT}}, <code dir="ltr">{{REFERENCE}}</code></li>
{{/PAYMENT}}</ul>
<h2>{{t_payments__camt__marked}}</h2>
<ul>
{{#MARKED}}<li><bdi dir="ltr">{{REF}}</bdi>, {{BOOKED}}: {{AMOUNT}}: <bdi>{{NOTE}}</bdi></li>
{{/MARKED}}</ul>
