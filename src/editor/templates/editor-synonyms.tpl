{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{LIST_HREF}}">{{t_admin_services__title}}</a></p>
<h1>{{t_synonyms__title}}</h1>
<p class="lead">{{t_synonyms__intro}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ERROR}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_form__errors_title}}</h2>
<ul><li><a href="#synonyms">{{ERROR}}</a></li></ul>
</div>
{{/HAS_ERROR}}<form method="post" action="{{HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<div class="field{{#HAS_ERROR}} field-error{{/HAS_ERROR}}">
<label for="synonyms">{{t_synonyms__label}}</label>
<p class="hint" id="synonyms-hint">{{t_synonyms__hint}}</p>
{{#HAS_ERROR}}<p class="error-message" id="synonyms-error">{{ERROR}}</p>
{{/HAS_ERROR}}<textarea id="synonyms" name="synonyms" rows="12" aria-describedby="synonyms-hint{{#HAS_ERROR}} synonyms-error{{/HAS_ERROR}}"{{#HAS_ERROR}} aria-invalid="true"{{/HAS_ERROR}}>{{TEXT:pre_escape}}</textarea>
</div>
<button type="submit" class="button">{{t_synonyms__save}}</button>
</form>
<p><a href="{{SEARCH_HREF}}">{{t_synonyms__try}}</a></p>
<p><a href="{{LIST_HREF}}">{{t_editor__back}}</a></p>
