{{%AUTOESCAPE context="HTML"}}<h1>{{t_totp__title}}</h1>
<p class="lead">{{t_totp__intro}}</p>
<ol>
<li>{{t_totp__step_app}}</li>
<li>{{t_totp__step_scan}}
<p><img src="{{QR_DATA_URI}}" alt="{{t_totp__qr_alt}}" width="200" height="200"></p>
<p>{{t_totp__manual}} <code dir="ltr">{{SECRET}}</code></p></li>
<li>{{t_totp__step_code}}</li>
</ol>
{{>FORM}}
