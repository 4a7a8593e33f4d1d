{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{LIST_HREF}}">{{t_admin_services__title}}</a></p>
<h1>{{NAME}}</h1>
<p><span dir="ltr">{{CODE}}</span> · {{STATUS}}{{#IS_PUBLIC}} · <a href="{{PUBLIC_HREF}}">{{t_editor__service__public_page}}</a>{{/IS_PUBLIC}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>ERRORS}}{{#VERSIONED}}<div class="notice" role="note"><p>{{VERSION_TEXT}}</p>
<p>{{#HAS_DRAFT}}<a href="{{PREVIEW_HREF}}">{{t_editor__versions__preview}}</a> · {{/HAS_DRAFT}}<a href="{{VERSIONS_HREF}}">{{t_editor__versions__link}}</a></p></div>
{{/VERSIONED}}<h2>{{t_editor__service__texts}}</h2>
{{#HAS_MISSING}}<p>{{t_editor__service__missing_intro}}</p>
<ul>
{{#MISSING}}<li>{{#LINK}}<a href="{{HREF}}">{{TEXT}}</a>{{/LINK}}{{#PLAIN}}{{TEXT}}{{/PLAIN}}</li>
{{/MISSING}}</ul>
{{/HAS_MISSING}}{{#COMPLETE}}<p>{{t_editor__service__complete}}</p>
{{/COMPLETE}}{{#CAN_PUBLISH}}<form method="post" action="{{STATUS_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="publish" value="yes">
<button type="submit" class="button button-secondary">{{STATUS_LABEL}}</button>
</form>{{/CAN_PUBLISH}}{{#CAN_WITHDRAW}}<p><a href="{{WITHDRAW_HREF}}">{{STATUS_LABEL}}</a></p>{{/CAN_WITHDRAW}}
<h2>{{t_editor__service__parts}}</h2>
<ul>
<li><a href="{{FORM_HREF}}">{{t_editor__service__edit_form}}</a> ({{FORM_SUMMARY}})</li>
<li><a href="{{WORKFLOW_HREF}}">{{t_editor__service__edit_workflow}}</a> ({{WORKFLOW_SUMMARY}})</li>
<li><a href="{{DOCUMENT_HREF}}">{{t_editor__service__edit_document}}</a> ({{DOCUMENT_SUMMARY}})</li>
<li><a href="{{NOTIFICATIONS_HREF}}">{{t_editor__service__edit_notifications}}</a> ({{NOTIFICATIONS_SUMMARY}})</li>
</ul>
<h2>{{t_editor__service__details}}</h2>
{{>FORM}}
