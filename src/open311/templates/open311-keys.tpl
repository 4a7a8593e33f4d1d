{{%AUTOESCAPE context="HTML"}}<p><a href="{{SERVICES_HREF}}">{{t_open311_keys__services}}</a></p>
<h1>{{t_open311_keys__title}}</h1>
<p class="lead">{{t_open311_keys__intro}}</p>
{{#ISSUED}}<div class="notice" role="status">
<h2>{{t_open311_keys__issued_title}}</h2>
<p>{{t_open311_keys__issued}}</p>
<p><bdi>{{ISSUED_LABEL}}</bdi>: <code dir="ltr">{{KEY}}</code></p>
<p>{{ACCOUNT}}</p>
</div>
{{/ISSUED}}{{#HAS_REVOKED}}<div class="notice" role="status"><p>{{REVOKED}}</p></div>
{{/HAS_REVOKED}}{{#NO_KEYS}}<p>{{t_open311_keys__none}}</p>
{{/NO_KEYS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="keys-caption">
<table>
<caption id="keys-caption">{{t_open311_keys__list}}</caption>
<thead><tr><th scope="col">{{t_open311_keys__label}}</th><th scope="col">{{t_open311_keys__created}}</th><th scope="col">{{t_open311_keys__last_used}}</th><th scope="col">{{t_open311_keys__expires}}</th><th scope="col">{{t_open311_keys__notes}}</th><th scope="col">{{t_open311_keys__status}}</th><th scope="col">{{t_open311_keys__actions}}</th></tr></thead>
<tbody>
{{#KEY_ROW}}<tr><td><bdi>{{LABEL}}</bdi></td><td>{{CREATED}}</td><td>{{LAST_USED}}</td><td>{{EXPIRES}}</td><td>{{SCOPE}}</td><td>{{STATUS}}</td>
<td>{{#LIVE}}<a href="{{REVOKE_HREF}}">{{t_open311_keys__revoke}}<span class="visually-hidden"> <bdi>{{LABEL}}</bdi></span></a>{{/LIVE}}</td></tr>
{{/KEY_ROW}}</tbody>
</table>
</div>
<h2>{{t_open311_keys__issue}}</h2>
{{>FORM}}
