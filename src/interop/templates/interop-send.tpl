{{%AUTOESCAPE context="HTML"}}<p><a href="{{CASE_HREF}}">{{t_interop__transfer__back}}</a></p>
<h1>{{t_interop__transfer__heading}} <span dir="ltr">{{TRACKING}}</span></h1>
<p class="lead">{{SERVICE}}</p>
<p>{{t_interop__transfer__intro}}</p>
{{#NO_PEERS}}<p>{{t_interop__transfer__no_peers}} <a href="{{PEERS_HREF}}">{{t_interop__peers__title}}</a></p>
{{/NO_PEERS}}{{#HAS_PEERS}}{{>FORM}}
{{/HAS_PEERS}}
