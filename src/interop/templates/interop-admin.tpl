{{%AUTOESCAPE context="HTML"}}<p><a href="{{SERVICES_HREF}}">{{t_interop__admin__services}}</a> · <a href="{{PEERS_HREF}}">{{t_interop__admin__peers_link}}</a> · <a href="{{WEBHOOKS_HREF}}">{{t_interop__admin__webhooks_link}}</a></p>
<h1>{{t_interop__admin__title}}</h1>
<p class="lead">{{t_interop__admin__intro}}</p>
<p>{{t_interop__admin__base}} <code dir="ltr">{{BASE}}</code></p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}<h2 id="grants-title">{{t_interop__admin__grants}}</h2>
{{#NO_GRANTS}}<p>{{t_interop__admin__no_grants}}</p>
{{/NO_GRANTS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="grants-title">
<table>
<thead><tr><th scope="col">{{t_interop__admin__client}}</th><th scope="col">{{t_interop__admin__service}}</th><th scope="col">{{t_interop__admin__granted_at}}</th><th scope="col">{{t_interop__admin__actions}}</th></tr></thead>
<tbody>
{{#GRANT}}<tr><td><code dir="ltr">{{CLIENT}}</code></td><td>{{SERVICE}}</td><td>{{GRANTED}}</td>
<td><form method="post" action="{{REVOKE_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="client" value="{{CLIENT}}"><input type="hidden" name="service" value="{{SERVICE_CODE}}"><button type="submit" class="button secondary">{{t_interop__admin__revoke}}<span class="visually-hidden"> {{CLIENT}} {{SERVICE}}</span></button></form></td></tr>
{{/GRANT}}</tbody>
</table>
</div>
<h2>{{t_interop__admin__grant}}</h2>
{{>FORM}}
<h2 id="log-title">{{t_interop__admin__log}}</h2>
<p>{{t_interop__admin__log_intro}}</p>
{{#NO_MESSAGES}}<p>{{t_interop__admin__no_messages}}</p>
{{/NO_MESSAGES}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="log-title">
<table>
<thead><tr><th scope="col">{{t_interop__admin__when}}</th><th scope="col">{{t_interop__admin__client}}</th><th scope="col">{{t_interop__admin__service}}</th><th scope="col">{{t_interop__admin__status}}</th><th scope="col">{{t_interop__admin__xroad_id}}</th></tr></thead>
<tbody>
{{#MESSAGE}}<tr><td><time datetime="{{AT_ISO}}">{{AT}}</time></td><td><code dir="ltr">{{CLIENT}}</code></td><td>{{SERVICE}}</td><td>{{STATUS}}</td><td><code dir="ltr">{{XROAD_ID}}</code></td></tr>
{{/MESSAGE}}</tbody>
</table>
</div>
