{{%AUTOESCAPE context="HTML"}}<h1>{{t_staff__title}}</h1>
{{#HAS_CREATED}}<div class="notice" role="status">
<p>{{t_staff__created}}</p>
<p><code dir="ltr">{{CREATED}}</code></p>
</div>
{{/HAS_CREATED}}{{#REFUSED}}<div class="error-summary" role="alert" aria-labelledby="refused-title" tabindex="-1">
<h2 id="refused-title">{{t_staff__refused}}</h2>
<p>{{TEXT}}</p>
</div>
{{/REFUSED}}{{#DONE}}<div class="notice" role="status">
<p>{{TEXT}}</p>
{{#HAS_VALUE}}<p><code dir="ltr">{{VALUE}}</code></p>{{/HAS_VALUE}}
</div>
{{/DONE}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-caption">
<table>
<caption id="table-caption">{{t_staff__list}}</caption>
<thead><tr><th scope="col">{{t_staff__username}}</th><th scope="col">{{t_staff__name}}</th><th scope="col">{{t_staff__roles}}</th><th scope="col">{{t_staff__status}}</th><th scope="col">{{t_staff__actions}}</th></tr></thead>
<tbody>
{{#STAFF}}<tr><td dir="ltr">{{USERNAME}}</td><td>{{NAME}}</td><td>{{ROLES}}</td><td>{{STATUS}}</td>
<td><form method="post" action="{{ACTION_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="action" value="{{ACTION_VALUE}}"><button type="submit" class="button button-secondary">{{ACTION_LABEL}} <span class="visually-hidden">{{USERNAME}}</span></button></form>
<form method="post" action="{{PASSWORD_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button button-secondary">{{t_staff__reset_password}} <span class="visually-hidden">{{USERNAME}}</span></button></form>
<form method="post" action="{{SECOND_FACTOR_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button button-secondary">{{t_staff__reset_second_factor}} <span class="visually-hidden">{{USERNAME}}</span></button></form>
<form method="post" action="{{SESSIONS_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button button-secondary">{{t_staff__end_sessions}} <span class="visually-hidden">{{USERNAME}}</span></button></form></td></tr>
{{/STAFF}}</tbody>
</table>
</div>
<h2>{{t_staff__add}}</h2>
{{>FORM}}
