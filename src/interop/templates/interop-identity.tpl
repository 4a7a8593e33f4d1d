{{%AUTOESCAPE context="HTML"}}<p><a href="/account">{{t_interop__identity__back}}</a></p>
<h1>{{t_interop__identity__title}}</h1>
{{#IS_VERIFIED}}<div class="notice" role="status"><p>{{VERIFIED}}</p></div>
{{/IS_VERIFIED}}{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#NOT_VERIFIED}}<p class="lead">{{t_interop__identity__intro}}</p>
<p>{{t_interop__identity__what_is_sent}}</p>
<p>{{t_interop__identity__legal_basis}} <bdi>{{LEGAL_BASIS}}</bdi></p>
{{>FORM}}
{{/NOT_VERIFIED}}<p><a href="/account/who-looked">{{t_interop__looked__link}}</a></p>
