{{%AUTOESCAPE context="HTML"}}<p class="meta">{{SERVICE}}</p>
<h1>{{t_apply__check_title}}</h1>
{{#FILING_FOR}}<div class="notice"><p>{{FILING_FOR_TEXT}}</p></div>
{{/FILING_FOR}}{{#HAS_ROUTED}}<div class="notice" role="status"><p>{{ROUTED}}</p></div>
{{/HAS_ROUTED}}{{#IS_WITHDRAWN}}<div class="error-summary" role="alert" aria-labelledby="withdrawn-title" tabindex="-1">
<h2 id="withdrawn-title">{{t_apply__withdrawn_title}}</h2>
<p>{{WITHDRAWN}}</p>
<p><a href="{{DRAFTS_HREF}}">{{t_apply__withdrawn_back}}</a></p>
</div>
{{/IS_WITHDRAWN}}{{#ERRORS}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_form__errors_title}}</h2>
<ul>
{{#ERROR}}<li><a href="{{HREF}}">{{MESSAGE}}</a></li>
{{/ERROR}}</ul>
</div>
{{/ERRORS}}{{#NEARBY}}<section id="nearby" class="nearby" aria-labelledby="nearby-title">
<h2 id="nearby-title">{{t_nearby__title}}</h2>
{{#NONE}}<p>{{t_nearby__none}}</p>
{{/NONE}}{{#HAS_REPORTS}}<p>{{t_nearby__intro}}</p>
<ul class="nearby-list">
{{#REPORT}}<li>
<dl class="contact">
<dt>{{t_case__tracking}}</dt><dd><bdi dir="ltr">{{TRACKING}}</bdi></dd>
<dt>{{t_case__state}}</dt><dd>{{STATE}}</dd>
<dt>{{t_nearby__filed}}</dt><dd>{{FILED}}</dd>
<dt>{{t_nearby__distance}}</dt><dd>{{DISTANCE}}</dd>
{{#HAS_EXCERPT}}<dt>{{t_nearby__description}}</dt><dd dir="auto">{{EXCERPT}}</dd>
{{/HAS_EXCERPT}}</dl>
<form method="post" action="{{FOLLOW_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="tracking" value="{{TRACKING}}">
<button type="submit" class="button button-secondary">{{t_nearby__follow}}<span class="visually-hidden"> {{TRACKING}}</span></button>
</form>
</li>
{{/REPORT}}</ul>
{{/HAS_REPORTS}}<p>{{t_nearby__file_anyway}}</p>
</section>
{{/NEARBY}}<dl class="answers">
{{#ANSWER}}<dt>{{LABEL}}</dt><dd dir="auto">{{VALUE}} <a href="{{CHANGE_HREF}}">{{t_apply__change}}<span class="visually-hidden"> {{LABEL}}</span></a></dd>
{{/ANSWER}}<dt>{{t_services__fee}}</dt><dd>{{FEE}}</dd>
</dl>
{{#IS_REPORT}}<p class="hint">{{t_nearby__published}}</p>
{{/IS_REPORT}}<form method="post" action="{{ACTION}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field{{#DECLARATION_ERROR}} field-error{{/DECLARATION_ERROR}}">
{{#DECLARATION_ERROR}}<p class="error-message" id="declaration-error">{{t_apply__declaration_required}}</p>
{{/DECLARATION_ERROR}}<div class="choice"><input type="checkbox" id="declaration" name="declaration" value="yes"{{#DECLARATION_ERROR}} aria-invalid="true" aria-describedby="declaration-error"{{/DECLARATION_ERROR}}> <label for="declaration">{{DECLARATION}}</label></div>
</div>
<button type="submit" class="button">{{t_apply__submit}}</button>
</form>
