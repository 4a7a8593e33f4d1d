{{%AUTOESCAPE context="HTML"}}<p><a href="{{XROAD_HREF}}">{{t_interop__peers__back}}</a></p>
<h1>{{t_interop__webhook__title}}</h1>
<p class="lead">{{t_interop__webhook__intro}}</p>
<p>{{t_interop__peers__own}} <code dir="ltr">{{OWN_KEYID}}</code> ({{t_interop__peers__keyset}} <code dir="ltr">{{KEYSET}}</code>)</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}<h2 id="hooks-title">{{t_interop__webhook__list}}</h2>
{{#NO_HOOKS}}<p>{{t_interop__webhook__none}}</p>
{{/NO_HOOKS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="hooks-title">
<table>
<thead><tr><th scope="col">{{t_interop__webhook__url}}</th><th scope="col">{{t_interop__webhook__events}}</th><th scope="col">{{t_interop__admin__actions}}</th></tr></thead>
<tbody>
{{#HOOK}}<tr><td><code dir="ltr">{{URL}}</code></td><td>{{EVENTS}}</td>
<td><form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="webhook" value="{{ID}}"><button type="submit" class="button secondary">{{t_interop__peers__remove}}<span class="visually-hidden"> {{URL}}</span></button></form></td></tr>
{{/HOOK}}</tbody>
</table>
</div>
<h2>{{t_interop__webhook__subscribe}}</h2>
{{>FORM}}
<h2 id="deliveries-title">{{t_interop__webhook__log}}</h2>
{{#NO_DELIVERIES}}<p>{{t_interop__webhook__no_deliveries}}</p>
{{/NO_DELIVERIES}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="deliveries-title">
<table>
<thead><tr><th scope="col">{{t_interop__admin__when}}</th><th scope="col">{{t_interop__webhook__event}}</th><th scope="col">{{t_interop__webhook__case}}</th><th scope="col">{{t_interop__webhook__url}}</th><th scope="col">{{t_interop__webhook__state}}</th><th scope="col">{{t_interop__webhook__attempts}}</th><th scope="col">{{t_interop__admin__actions}}</th></tr></thead>
<tbody>
{{#DELIVERY}}<tr><td><time datetime="{{AT_ISO}}">{{AT}}</time></td><td>{{EVENT}}</td><td><code dir="ltr">{{TRACKING}}</code></td><td><code dir="ltr">{{URL}}</code></td><td>{{STATE}} ({{STATUS}})</td><td>{{ATTEMPTS}}</td>
<td><form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="delivery" value="{{ID}}"><button type="submit" class="button secondary">{{t_interop__webhook__replay}}<span class="visually-hidden"> {{TRACKING}} {{EVENT}}</span></button></form></td></tr>
{{/DELIVERY}}</tbody>
</table>
</div>
