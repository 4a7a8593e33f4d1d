{{%AUTOESCAPE context="HTML"}}<p><a href="{{BACK_HREF}}">{{t_payments__void__back}}</a></p>
<h1>{{t_payments__refund__title}}</h1>
<p class="lead">{{t_payments__refund__intro}}</p>
<dl class="contact">
<dt>{{t_payments__receipt__heading}}</dt><dd><bdi dir="ltr">{{RECEIPT}}</bdi></dd>
<dt>{{t_payments__receipt__amount}}</dt><dd>{{AMOUNT}}</dd>
<dt>{{t_payments__refund__left}}</dt><dd>{{LEFT}}</dd>
<dt>{{t_payments__receipt__method}}</dt><dd>{{CHANNEL}}</dd>
</dl>
{{#NOT_POSTED}}<p>{{t_payments__void__not_posted}}</p>
{{/NOT_POSTED}}{{>FORM}}
