{{%AUTOESCAPE context="HTML"}}<h1>{{t_payments__card__title}}</h1>
<div class="notice" role="status">
<p>{{STATE}}</p>
</div>
<dl class="contact">
<dt>{{t_payments__invoice__number}}</dt><dd><bdi dir="ltr">{{INVOICE}}</bdi></dd>
<dt>{{t_payments__invoice__total}}</dt><dd>{{AMOUNT}}</dd>
</dl>
{{#RECEIPT}}<p><a href="{{RECEIPT_HREF}}">{{t_payments__panel__receipt}}</a></p>
{{/RECEIPT}}{{#CASE}}<p><a href="{{CASE_HREF}}">{{t_payments__card__back_to_case}}</a></p>
{{/CASE}}
