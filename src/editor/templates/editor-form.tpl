{{%AUTOESCAPE context="HTML"}}<form method="post" action="{{ACTION}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
{{#GROUP}}{{#FIELDSET}}<fieldset{{#HAS_HINT}} aria-describedby="{{GROUP_ID}}-hint"{{/HAS_HINT}}>
<legend>{{LEGEND}}</legend>
{{#HAS_HINT}}<p class="hint" id="{{GROUP_ID}}-hint">{{HINT}}</p>
{{/HAS_HINT}}{{/FIELDSET}}{{#INPUT}}<div class="field{{#HAS_ERROR}} field-error{{/HAS_ERROR}}">
{{#LABEL_FIRST}}<label for="{{ID}}">{{LABEL}}{{#OPTIONAL}} <span class="optional">({{t_form__optional}})</span>{{/OPTIONAL}}</label>
{{/LABEL_FIRST}}{{#HAS_HINT}}<p class="hint" id="{{ID}}-hint">{{HINT}}</p>
{{/HAS_HINT}}{{#HAS_ERROR}}<p class="error-message" id="{{ID}}-error">{{ERROR}}</p>
{{/HAS_ERROR}}{{#TEXT}}<input type="text" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}" autocomplete="off"{{#HAS_LANG}} lang="{{LANG}}" dir="{{DIR}}"{{/HAS_LANG}}{{#LTR}} dir="ltr"{{/LTR}}{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>
{{/TEXT}}{{#TEXTAREA}}<textarea id="{{ID}}" name="{{NAME}}" rows="3"{{#HAS_LANG}} lang="{{LANG}}" dir="{{DIR}}"{{/HAS_LANG}}{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>{{VALUE}}</textarea>
{{/TEXTAREA}}{{#SELECT}}<select id="{{ID}}" name="{{NAME}}"{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>
{{#OPTION}}<option value="{{OPTION_VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{OPTION_LABEL}}</option>
{{/OPTION}}</select>
{{/SELECT}}{{#CHECKBOX}}<div class="choice"><input type="checkbox" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}> <label for="{{ID}}">{{LABEL}}</label></div>
{{/CHECKBOX}}</div>
{{/INPUT}}{{#FIELDSET}}</fieldset>
{{/FIELDSET}}{{/GROUP}}<div class="actions">
{{#BUTTON}}<button type="submit" class="button{{#SECONDARY}} button-secondary{{/SECONDARY}}" name="go" value="{{GO}}">{{LABEL}}</button>
{{/BUTTON}}</div>
</form>
