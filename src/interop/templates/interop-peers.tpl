{{%AUTOESCAPE context="HTML"}}<p><a href="{{XROAD_HREF}}">{{t_interop__peers__back}}</a></p>
<h1>{{t_interop__peers__title}}</h1>
<p class="lead">{{t_interop__peers__intro}}</p>
<p>{{t_interop__peers__own}} <code dir="ltr">{{OWN_KEYID}}</code> ({{t_interop__peers__own_slug}} <code dir="ltr">{{OWN_SLUG}}</code>, {{t_interop__peers__keyset}} <code dir="ltr">{{KEYSET}}</code>)</p>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}<h2 id="peers-title">{{t_interop__peers__list}}</h2>
{{#NO_PEERS}}<p>{{t_interop__peers__none}}</p>
{{/NO_PEERS}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="peers-title">
<table>
<thead><tr><th scope="col">{{t_interop__peers__municipality}}</th><th scope="col">{{t_interop__peers__url}}</th><th scope="col">{{t_interop__peers__keyid}}</th><th scope="col">{{t_interop__peers__registered}}</th><th scope="col">{{t_interop__admin__actions}}</th></tr></thead>
<tbody>
{{#PEER}}<tr><td><code dir="ltr">{{MUNICIPALITY}}</code></td><td><code dir="ltr">{{URL}}</code></td><td><code dir="ltr">{{KEYID}}</code></td><td>{{REGISTERED}}</td>
<td><form method="post" action="{{REMOVE_ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="peer" value="{{ID}}"><button type="submit" class="button secondary">{{t_interop__peers__remove}}<span class="visually-hidden"> {{MUNICIPALITY}}</span></button></form></td></tr>
{{/PEER}}</tbody>
</table>
</div>
<h2>{{t_interop__peers__add}}</h2>
{{>FORM}}
