{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<h1>{{t_editor__form__title}}</h1>
<p class="lead">{{t_editor__form__intro}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>ERRORS}}{{#PAGE}}<section aria-labelledby="page-{{N}}">
<h2 id="page-{{N}}">{{HEADING}}</h2>
<p><a href="{{EDIT_HREF}}">{{t_editor__form__edit_page}}<span class="visually-hidden"> {{HEADING}}</span></a> · <a href="{{ADD_HREF}}">{{t_editor__form__add_field}}<span class="visually-hidden"> {{HEADING}}</span></a></p>
<form method="post" action="{{ACT_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}">
{{#CAN_UP}}<button type="submit" class="button button-secondary" name="do" value="up">{{t_editor__move_up}}<span class="visually-hidden"> {{HEADING}}</span></button>
{{/CAN_UP}}{{#CAN_DOWN}}<button type="submit" class="button button-secondary" name="do" value="down">{{t_editor__move_down}}<span class="visually-hidden"> {{HEADING}}</span></button>
{{/CAN_DOWN}}<button type="submit" class="button button-secondary" name="do" value="remove">{{t_editor__form__remove_page}}<span class="visually-hidden"> {{HEADING}}</span></button>
</form>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="fields-{{N}}">
<table>
<caption id="fields-{{N}}">{{t_editor__form__fields}} <span class="visually-hidden">{{HEADING}}</span></caption>
<thead><tr><th scope="col">{{t_editor__form__question}}</th><th scope="col">{{t_editor__field__type}}</th><th scope="col">{{t_editor__form__shown}}</th><th scope="col">{{t_editor__actions}}</th></tr></thead>
<tbody>
{{#FIELD}}<tr><td><a href="{{FIELD_HREF}}">{{LABEL}}</a> <span dir="ltr">{{NAME}}</span>{{#OPTIONAL}} ({{t_form__optional}}){{/OPTIONAL}}</td><td>{{TYPE}}</td><td>{{SHOWN}}</td>
<td><form method="post" action="{{FIELD_ACT_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}">
{{#CAN_UP}}<button type="submit" class="button button-secondary" name="do" value="up">{{t_editor__move_up}}<span class="visually-hidden"> {{LABEL}}</span></button>
{{/CAN_UP}}{{#CAN_DOWN}}<button type="submit" class="button button-secondary" name="do" value="down">{{t_editor__move_down}}<span class="visually-hidden"> {{LABEL}}</span></button>
{{/CAN_DOWN}}<button type="submit" class="button button-secondary" name="do" value="remove">{{t_editor__remove}}<span class="visually-hidden"> {{LABEL}}</span></button>
</form></td></tr>
{{/FIELD}}</tbody>
</table>
</div>
</section>
{{/PAGE}}<p><a class="button" href="{{ADD_PAGE_HREF}}">{{t_editor__form__add_page}}</a></p>
<p><a href="{{SERVICE_HREF}}">{{t_editor__back}}</a></p>
