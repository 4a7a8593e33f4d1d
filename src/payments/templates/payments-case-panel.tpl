{{%AUTOESCAPE context="HTML"}}<section class="payment-panel" aria-labelledby="payments-heading">
<h2 id="payments-heading">{{t_payments__panel__title}}</h2>
{{#INVOICE}}<dl class="contact">
<dt>{{t_payments__invoice__number}}</dt><dd><bdi dir="ltr">{{NUMBER}}</bdi></dd>
<dt>{{t_payments__invoice__status}}</dt><dd>{{STATUS}}</dd>
<dt>{{t_payments__invoice__total}}</dt><dd>{{TOTAL}}</dd>
<dt>{{t_payments__invoice__due}}</dt><dd>{{DUE}}</dd>
<dt>{{t_payments__invoice__reference}}</dt><dd><code dir="ltr">{{REFERENCE}}</code></dd>
</dl>
<div class="table-scroll" tabindex="0" role="region" aria-label="{{t_payments__invoice__lines}} {{NUMBER}}">
<table>
<caption>{{t_payments__invoice__lines}}</caption>
<thead><tr><th scope="col">{{t_payments__invoice__item}}</th><th scope="col">{{t_payments__invoice__amount}}</th></tr></thead>
<tbody>
{{#LINE}}<tr><td>{{DESCRIPTION}}</td><td>{{AMOUNT}}</td></tr>
{{/LINE}}</tbody>
<tfoot><tr><th scope="row">{{t_payments__invoice__total}}</th><td>{{TOTAL}}</td></tr></tfoot>
</table>
</div>
{{#OPEN}}<h3>{{t_payments__panel__how_title}}</h3>
<ul>
<li>{{t_payments__panel__how_counter}}</li>
<li>{{t_payments__panel__how_bank}} <code dir="ltr">{{REFERENCE}}</code></li>
</ul>
{{/OPEN}}{{#CARD}}<form method="post" action="{{CARD_ACTION}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit">{{t_payments__card__pay}}</button>
</form>
{{/CARD}}{{#CASHIER}}<p><a class="button" href="{{PAY_HREF}}">{{t_payments__panel__take_payment}}</a></p>
{{/CASHIER}}{{#PAID}}<p>{{t_payments__panel__paid_on}} {{PAID_ON}}</p>
{{/PAID}}{{#VOID}}<p>{{t_payments__panel__voided}} <bdi>{{VOID_REASON}}</bdi></p>
{{/VOID}}{{#RECEIPT}}<p><a href="{{RECEIPT_HREF}}">{{t_payments__panel__receipt}} <bdi dir="ltr">{{RECEIPT_NUMBER}}</bdi></a></p>
{{/RECEIPT}}{{/INVOICE}}</section>
