{{%AUTOESCAPE context="HTML"}}<h1>{{t_payments__cashier__title}}</h1>
{{#CLOSED}}<div class="notice" role="status">
<h2>{{t_payments__cashier__closed_title}}</h2>
<dl class="contact">
<dt>{{t_payments__session__expected}}</dt><dd>{{EXPECTED}}</dd>
<dt>{{t_payments__session__counted}}</dt><dd>{{COUNTED}}</dd>
<dt>{{t_payments__session__difference}}</dt><dd>{{DIFFERENCE}}</dd>
</dl>
</div>
{{/CLOSED}}{{#NO_SESSION}}<p class="lead">{{t_payments__cashier__no_session}}</p>
<h2>{{t_payments__cashier__open_title}}</h2>
{{>FORM}}{{/NO_SESSION}}{{#SESSION}}<p class="lead">{{t_payments__cashier__session_open}} {{OPENED}} ({{t_payments__session__opening}}: {{OPENING}})</p>
<h2>{{t_payments__cashier__find_title}}</h2>
{{>FIND_FORM}}{{/SESSION}}{{#INVOICE}}<h2>{{t_payments__invoice__title}} <bdi dir="ltr">{{NUMBER}}</bdi></h2>
<dl class="contact">
<dt>{{t_payments__invoice__status}}</dt><dd>{{STATUS}}</dd>
<dt>{{t_payments__invoice__reference}}</dt><dd><code dir="ltr">{{REFERENCE}}</code></dd>
<dt>{{t_payments__invoice__due}}</dt><dd>{{DUE}}</dd>
</dl>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="lines-caption">
<table>
<caption id="lines-caption">{{t_payments__invoice__lines}}</caption>
<thead><tr><th scope="col">{{t_payments__invoice__item}}</th><th scope="col">{{t_payments__invoice__amount}}</th></tr></thead>
<tbody>
{{#LINE}}<tr><td>{{DESCRIPTION}}</td><td>{{AMOUNT}}</td></tr>
{{/LINE}}</tbody>
<tfoot><tr><th scope="row">{{t_payments__invoice__total}}</th><td>{{TOTAL}}</td></tr></tfoot>
</table>
</div>
{{#CAN_PAY}}<h3>{{t_payments__cashier__pay_title}}</h3>
{{>PAY_FORM}}{{/CAN_PAY}}{{/INVOICE}}{{#SESSION}}<h2>{{t_payments__cashier__payments_title}}</h2>
{{#NO_PAYMENTS}}<p>{{t_payments__cashier__no_payments}}</p>
{{/NO_PAYMENTS}}<ul>
{{#PAYMENT}}<li><a href="{{RECEIPT_HREF}}"><bdi dir="ltr">{{RECEIPT}}</bdi></a>: {{METHOD}}, {{AMOUNT}} ({{STATE}})</li>
{{/PAYMENT}}</ul>
<p><a href="{{CLOSE_HREF}}">{{t_payments__cashier__close_link}}</a></p>
{{/SESSION}}
