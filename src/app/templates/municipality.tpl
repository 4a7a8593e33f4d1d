{{%AUTOESCAPE context="HTML"}}<h1>{{NAME}}</h1>
<p class="lead">{{GOVERNORATE}}</p>
<p><a class="button" href="/m/{{SLUG}}/services">{{t_municipality__services}}</a></p>
<p><a href="/track">{{t_track__link}}</a></p>
<p><a href="/m/{{SLUG}}/reports">{{t_reports__link}}</a></p>
<p><a href="/m/{{SLUG}}/performance">{{t_kpi__link}}</a></p>
<p><a href="/m/{{SLUG}}/participate">{{t_participation__link}}</a></p>
<h2>{{t_municipality__departments}}</h2>
<ul class="departments">
{{#DEPARTMENT}}<li>{{DEPARTMENT_NAME}}</li>
{{/DEPARTMENT}}</ul>
<h2>{{t_municipality__contact}}</h2>
<dl class="contact">
{{#HAS_ADDRESS}}<dt>{{t_municipality__address}}</dt><dd>{{ADDRESS}}</dd>{{/HAS_ADDRESS}}
{{#HAS_PHONE}}<dt>{{t_municipality__phone}}</dt><dd><a href="tel:{{PHONE_URI}}" dir="ltr">{{PHONE}}</a></dd>{{/HAS_PHONE}}
{{#HAS_EMAIL}}<dt>{{t_municipality__email}}</dt><dd><a href="mailto:{{EMAIL}}" dir="ltr">{{EMAIL}}</a></dd>{{/HAS_EMAIL}}
{{#HAS_HOURS}}<dt>{{t_municipality__hours}}</dt><dd>{{HOURS}}</dd>{{/HAS_HOURS}}
{{#HAS_WEBSITE}}<dt>{{t_municipality__website}}</dt><dd><a href="{{WEBSITE}}" dir="ltr">{{WEBSITE}}</a></dd>{{/HAS_WEBSITE}}
</dl>
