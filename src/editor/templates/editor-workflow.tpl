{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<h1>{{t_editor__workflow__title}}</h1>
<p class="lead">{{t_editor__workflow__intro}}</p>
<p>{{SUMMARY}}</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{>ERRORS}}<form method="post" action="{{INITIAL_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}">
<div class="field">
<label for="initial">{{t_editor__workflow__initial}}</label>
<p class="hint" id="initial-hint">{{t_editor__workflow__initial_hint}}</p>
<select id="initial" name="initial" aria-describedby="initial-hint">
{{#INITIAL_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/INITIAL_OPTION}}</select>
</div>
<button type="submit" class="button button-secondary">{{t_editor__workflow__save_initial}}</button>
</form>
<h2 id="states-title">{{t_editor__workflow__states}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="states-title">
<table aria-labelledby="states-title">
<thead><tr><th scope="col">{{t_editor__workflow__state}}</th><th scope="col">{{t_editor__workflow__final_column}}</th><th scope="col">{{t_editor__workflow__sla_days}}</th><th scope="col">{{t_editor__workflow__who_acts}}</th><th scope="col">{{t_editor__actions}}</th></tr></thead>
<tbody>
{{#STATE}}<tr><td><a href="{{EDIT_HREF}}">{{LABEL}}</a> <span dir="ltr">{{KEY}}</span></td><td>{{FINAL}}</td><td>{{SLA}}</td><td>{{ACTS}}</td>
<td><form method="post" action="{{REMOVE_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}"><button type="submit" class="button button-secondary">{{t_editor__remove}}<span class="visually-hidden"> {{LABEL}}</span></button></form></td></tr>
{{/STATE}}</tbody>
</table>
</div>
<p><a class="button" href="{{ADD_STATE_HREF}}">{{t_editor__workflow__add_state}}</a></p>
<h2 id="transitions-title">{{t_editor__workflow__transitions}}</h2>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="transitions-title">
<table aria-labelledby="transitions-title">
<thead><tr><th scope="col">{{t_editor__workflow__from}}</th><th scope="col">{{t_editor__workflow__button}}</th><th scope="col">{{t_editor__workflow__to}}</th><th scope="col">{{t_editor__workflow__roles}}</th><th scope="col">{{t_editor__workflow__comment}}</th><th scope="col">{{t_editor__actions}}</th></tr></thead>
<tbody>
{{#TRANSITION}}<tr><td>{{FROM}}</td><td><a href="{{EDIT_HREF}}">{{LABEL}}</a> <span dir="ltr">{{ACTION}}</span></td><td>{{TO}}</td><td>{{ROLES}}</td><td>{{COMMENT}}</td>
<td><form method="post" action="{{REMOVE_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}"><button type="submit" class="button button-secondary">{{t_editor__remove}}<span class="visually-hidden"> {{LABEL}} ({{FROM}})</span></button></form></td></tr>
{{/TRANSITION}}</tbody>
</table>
</div>
<p><a class="button" href="{{ADD_TRANSITION_HREF}}">{{t_editor__workflow__add_transition}}</a></p>
<h2>{{t_editor__workflow__reset_title}}</h2>
<form method="post" action="{{RESET_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="version" value="{{VERSION}}">
<p>{{t_editor__workflow__reset_hint}}</p>
<button type="submit" class="button button-secondary">{{t_editor__workflow__reset}}</button>
</form>
<p><a href="{{SERVICE_HREF}}">{{t_editor__back}}</a></p>
