{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{TITLE}}</h2>
<ul>
{{#ERROR}}<li><a href="{{HREF}}">{{MESSAGE}}</a></li>
{{/ERROR}}{{#FORM_ERROR}}<li>{{MESSAGE}}</li>
{{/FORM_ERROR}}</ul>
</div>
{{/ERRORS}}<form method="post" action="{{ACTION}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#HIDDEN}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">
{{/HIDDEN}}{{#FIELD}}<div class="field{{#HAS_ERROR}} field-error{{/HAS_ERROR}}">
<label for="{{NAME}}">{{LABEL}}{{#IS_OPTIONAL}} <span class="optional">({{OPTIONAL}})</span>{{/IS_OPTIONAL}}</label>
{{#HAS_HINT}}<p class="hint" id="{{NAME}}-hint">{{HINT}}</p>
{{/HAS_HINT}}{{#HAS_ERROR}}<p class="error-message" id="{{NAME}}-error">{{ERROR}}</p>
{{/HAS_ERROR}}{{#INPUT}}<input type="{{TYPE}}" id="{{NAME}}" name="{{NAME}}" value="{{VALUE}}" autocomplete="{{AUTOCOMPLETE}}"{{#HAS_INPUTMODE}} inputmode="{{INPUTMODE}}"{{/HAS_INPUTMODE}}{{#LTR}} dir="ltr"{{/LTR}}{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>
{{/INPUT}}{{#TEXTAREA}}<textarea id="{{NAME}}" name="{{NAME}}" rows="5"{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>{{VALUE}}</textarea>
{{/TEXTAREA}}{{#SELECT}}<select id="{{NAME}}" name="{{NAME}}"{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>
{{#OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/OPTION}}</select>
{{/SELECT}}</div>
{{/FIELD}}<button type="submit" class="button">{{SUBMIT}}</button>
</form>
