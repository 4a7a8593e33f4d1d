{{%AUTOESCAPE context="HTML"}}<p class="meta">{{SERVICE}} · {{PROGRESS}}</p>
<h1>{{PAGE_TITLE}}</h1>
{{#FILING_FOR}}<div class="notice"><p>{{FILING_FOR_TEXT}}</p></div>
{{/FILING_FOR}}{{#ERRORS}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_form__errors_title}}</h2>
<ul>
{{#ERROR}}<li><a href="#{{NAME}}">{{MESSAGE}}</a></li>
{{/ERROR}}</ul>
</div>
{{/ERRORS}}{{#RESUMED}}<div class="notice" role="status"><p>{{t_apply__resumed}}</p></div>
{{/RESUMED}}{{#REVEALED}}<div class="notice" role="status"><p>{{REVEALED_TEXT}}</p></div>
{{/REVEALED}}<form method="post" action="{{ACTION}}" novalidate{{#MULTIPART}} enctype="multipart/form-data"{{/MULTIPART}}>
<input type="hidden" name="csrf" value="{{CSRF}}">
{{#FIELD}}<div class="field{{#HAS_ERROR}} field-error{{/HAS_ERROR}}">
{{#GROUP}}<fieldset id="{{NAME}}" tabindex="-1"{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>
<legend>{{LABEL}}{{#IS_OPTIONAL}} <span class="optional">({{t_form__optional}})</span>{{/IS_OPTIONAL}}</legend>
{{#HAS_HINT}}<p class="hint" id="{{NAME}}-hint">{{HINT}}</p>
{{/HAS_HINT}}{{#HAS_ERROR}}<p class="error-message" id="{{NAME}}-error">{{ERROR}}</p>
{{/HAS_ERROR}}{{#CHOICE}}<div class="choice"><input type="{{KIND}}" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{ID}}">{{OPTION_LABEL}}</label></div>
{{/CHOICE}}</fieldset>
{{/GROUP}}{{#SINGLE}}<label for="{{NAME}}">{{LABEL}}{{#IS_OPTIONAL}} <span class="optional">({{t_form__optional}})</span>{{/IS_OPTIONAL}}</label>
{{#HAS_HINT}}<p class="hint" id="{{NAME}}-hint">{{HINT}}</p>
{{/HAS_HINT}}{{#FILE_LIMIT}}<p class="hint" id="{{NAME}}-limit">{{LIMIT_TEXT}}</p>
{{/FILE_LIMIT}}{{#HAS_ERROR}}<p class="error-message" id="{{NAME}}-error">{{ERROR}}</p>
{{/HAS_ERROR}}{{#INPUT}}<input type="{{TYPE}}" id="{{NAME}}" name="{{NAME}}" value="{{VALUE}}"{{#HAS_INPUTMODE}} inputmode="{{INPUTMODE}}"{{/HAS_INPUTMODE}}{{#LTR}} dir="ltr"{{/LTR}}{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}{{#MAP_PICK}} data-map-pick="{{MAP_CENTRE}}"{{/MAP_PICK}}>
{{/INPUT}}{{#HAS_FILES}}<ul class="files">
{{#FILE}}<li dir="auto">{{FILE_NAME}} <span class="meta">({{FILE_SIZE}})</span></li>
{{/FILE}}</ul>
<p class="hint">{{t_apply__replace_files}}</p>
{{/HAS_FILES}}{{#TEXTAREA}}<textarea id="{{NAME}}" name="{{NAME}}" rows="5"{{#REQUIRED}} aria-required="true"{{/REQUIRED}}{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}{{#HAS_DESCRIBED_BY}} aria-describedby="{{DESCRIBED_BY}}"{{/HAS_DESCRIBED_BY}}>{{VALUE}}</textarea>
{{/TEXTAREA}}{{/SINGLE}}</div>
{{/FIELD}}<div class="actions">
<button type="submit" class="button" name="go" value="next">{{t_apply__continue}}</button>
<button type="submit" class="button button-secondary" name="go" value="save">{{t_apply__save_later}}</button>
</div>
</form>
{{#HAS_BACK}}<p><a href="{{BACK_HREF}}">{{t_apply__back}}</a></p>
{{/HAS_BACK}}<p><a href="{{DELETE_HREF}}">{{t_delete_draft__link}}</a></p>

