{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<h1>{{t_editor__versions__title}}</h1>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>ERRORS}}{{#UNPUBLISHED}}<p>{{t_editor__versions__unpublished}}</p>
{{/UNPUBLISHED}}{{#NO_DRAFT}}<p>{{t_editor__versions__no_draft}}</p>
{{/NO_DRAFT}}{{#DRAFT}}<h2>{{t_editor__versions__draft_heading}}</h2>
<p>{{t_editor__versions__draft_intro}}</p>
<p><a href="{{PREVIEW_HREF}}">{{t_editor__versions__preview}}</a></p>
<form method="post" action="{{PUBLISH_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<fieldset class="field{{#HAS_WHEN_ERROR}} field-error{{/HAS_WHEN_ERROR}}">
<legend>{{t_editor__versions__when}}</legend>
{{#HAS_WHEN_ERROR}}<p class="error-message" id="when-error">{{WHEN_ERROR}}</p>
{{/HAS_WHEN_ERROR}}<div class="choice"><input type="radio" id="when-now" name="when" value="now"{{#NOW_CHECKED}} checked{{/NOW_CHECKED}}> <label for="when-now">{{t_editor__versions__now}}</label></div>
<div class="choice"><input type="radio" id="when-later" name="when" value="later"{{#LATER_CHECKED}} checked{{/LATER_CHECKED}}> <label for="when-later">{{t_editor__versions__later}}</label></div>
</fieldset>
<div class="field{{#HAS_DATE_ERROR}} field-error{{/HAS_DATE_ERROR}}">
<label for="date">{{t_editor__versions__date}}</label>
<p class="hint" id="date-hint">{{t_editor__versions__date_hint}} {{ZONE_HINT}}</p>
{{#HAS_DATE_ERROR}}<p class="error-message" id="date-error">{{DATE_ERROR}}</p>
{{/HAS_DATE_ERROR}}<input type="date" id="date" name="date" dir="ltr" value="{{DATE}}" aria-describedby="date-hint{{#HAS_DATE_ERROR}} date-error{{/HAS_DATE_ERROR}}"{{#HAS_DATE_ERROR}} aria-invalid="true"{{/HAS_DATE_ERROR}}>
</div>
<div class="field">
<label for="time">{{t_editor__versions__time}}</label>
<input type="time" id="time" name="time" dir="ltr" value="{{TIME}}">
</div>
<button type="submit" class="button">{{t_editor__versions__publish}}</button>
</form>
<form method="post" action="{{DISCARD_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<button type="submit" class="button button-secondary">{{t_editor__versions__discard}}</button>
</form>
{{/DRAFT}}<h2>{{t_editor__versions__history}}</h2>
<div class="table-scroll" role="region" aria-label="{{t_editor__versions__history}}" tabindex="0">
<table>
<thead><tr><th scope="col">{{t_editor__versions__number}}</th><th scope="col">{{t_editor__versions__state}}</th><th scope="col">{{t_editor__versions__effective}}</th><th scope="col">{{t_editor__versions__published_by}}</th><th scope="col">{{t_editor__versions__started}}</th></tr></thead>
<tbody>
{{#VERSION_ROW}}<tr><td>{{NUMBER}}</td><td>{{STATE}}</td><td>{{EFFECTIVE}}</td><td>{{PUBLISHED_BY}}</td><td>{{STARTED}}</td></tr>
{{/VERSION_ROW}}</tbody>
</table>
</div>
<p><a href="{{SERVICE_HREF}}">{{t_editor__back}}</a></p>
