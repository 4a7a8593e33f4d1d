{{%AUTOESCAPE context="HTML"}}<h1>{{t_track__title}}</h1>
<p class="lead">{{t_track__intro}}</p>
{{>FORM}}
{{#FOUND}}<div class="notice" role="status">
<h2>{{t_case__title}} <bdi dir="ltr">{{TRACKING}}</bdi></h2>
<dl class="contact">
<dt>{{t_case__service}}</dt><dd>{{SERVICE}}</dd>
<dt>{{t_case__state}}</dt><dd><strong>{{STATE}}</strong></dd>
<dt>{{t_case__submitted}}</dt><dd>{{SUBMITTED}}</dd>
<dt>{{t_case__updated}}</dt><dd>{{UPDATED}}</dd>
{{#HAS_DUE}}<dt>{{t_case__due}}</dt><dd>{{DUE}}</dd>
{{/HAS_DUE}}</dl>
<p><strong>{{t_track__next}}</strong> {{NEXT}}</p>
</div>
{{/FOUND}}
