{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__void__back}}</a></p>
<h1>{{t_payments__void__title}}</h1>
<p class="lead">{{t_payments__void__intro}} <bdi dir="ltr">{{RECEIPT}}</bdi> ({{AMOUNT}})</p>
{{#NOT_POSTED}}<p>{{t_payments__void__not_posted}}</p>
{{/NOT_POSTED}}{{>FORM}}
