{{%AUTOESCAPE context="HTML"}}<h1>{{t_totp__title}}</h1>
<p class="lead">{{t_totp__intro}}</p>
<ol>
<li>{{t_totp__step_app}}</li>
<li>{{t_totp__step_scan}}
<div class="qr" role="img" aria-label="{{t_totp__qr_alt}}">{{QR_SVG:none}}</div>
<p>{{t_totp__manual}} <code dir="ltr">{{SECRET}}</code></p></li>
<li>{{t_totp__step_code}}</li>
</ol>
{{>FORM}}
