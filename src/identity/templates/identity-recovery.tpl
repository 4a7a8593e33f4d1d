{{%AUTOESCAPE context="HTML"}}<h1>{{t_totp__recovery_title}}</h1>
<p class="lead">{{t_totp__recovery_intro}}</p>
<ul class="codes" dir="ltr">
{{#CODE}}<li><code>{{CODE}}</code></li>
{{/CODE}}</ul>
<p><a href="{{NEXT}}">{{NEXT_LABEL}}</a></p>
