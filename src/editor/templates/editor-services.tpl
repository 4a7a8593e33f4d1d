{{%AUTOESCAPE context="HTML"}}<h1>{{t_admin_services__title}}</h1>
<p class="lead">{{t_admin_services__intro}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ERROR}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{ERROR_TITLE}}</h2>
<ul>
{{#MISSING}}<li>{{#HAS_HREF}}<a href="{{HREF}}">{{/HAS_HREF}}{{TEXT}}{{#HAS_HREF}}</a>{{/HAS_HREF}}</li>
{{/MISSING}}</ul>
</div>
{{/HAS_ERROR}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="services-caption">
<table>
<caption id="services-caption">{{t_admin_services__list}}</caption>
<thead><tr><th scope="col">{{t_admin_services__service}}</th><th scope="col">{{t_admin_services__status}}</th><th scope="col">{{t_admin_services__missing}}</th><th scope="col">{{t_editor__actions}}</th></tr></thead>
<tbody>
{{#SERVICE}}<tr><td><a href="{{PUBLIC_HREF}}">{{NAME}}</a> <span class="meta" dir="ltr">{{CODE}}</span></td><td>{{STATUS}}</td><td>{{MISSING_COUNT}}</td>
<td><a href="{{EDIT_HREF}}">{{t_editor__edit}}<span class="visually-hidden"> {{NAME}}</span></a>
{{#CAN_PUBLISH}}<form method="post" action="{{ACTION_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="publish" value="yes"><button type="submit" class="button button-secondary">{{ACTION_LABEL}} <span class="visually-hidden">{{NAME}}</span></button></form>{{/CAN_PUBLISH}}{{#CAN_WITHDRAW}} <a href="{{WITHDRAW_HREF}}">{{ACTION_LABEL}}<span class="visually-hidden"> {{NAME}}</span></a>{{/CAN_WITHDRAW}}</td></tr>
{{/SERVICE}}</tbody>
</table>
</div>
<p><a class="button" href="{{NEW_HREF}}">{{t_editor__new__title}}</a></p>
<p><a href="{{SYNONYMS_HREF}}">{{t_synonyms__title}}</a></p>
{{#LINK}}<p><a href="{{HREF}}">{{LABEL}}</a></p>
{{/LINK}}
