{{%AUTOESCAPE context="HTML"}}<article class="receipt">
<h1>{{t_payments__receipt__heading}} <bdi dir="ltr">{{RECEIPT}}</bdi></h1>
<p>{{MUNICIPALITY}}</p>
<dl class="contact">
<dt>{{t_payments__receipt__date}}</dt><dd>{{DATE}}</dd>
<dt>{{t_payments__receipt__method}}</dt><dd>{{METHOD}}</dd>
<dt>{{t_payments__receipt__amount}}</dt><dd>{{AMOUNT}}</dd>
<dt>{{t_payments__receipt__state}}</dt><dd>{{STATE}}</dd>
{{#CASE}}<dt>{{t_payments__receipt__case}}</dt><dd><bdi dir="ltr">{{TRACKING}}</bdi></dd>
{{/CASE}}{{#INVOICE}}<dt>{{t_payments__invoice__number}}</dt><dd><bdi dir="ltr">{{NUMBER}}</bdi></dd>
<dt>{{t_payments__invoice__reference}}</dt><dd><code dir="ltr">{{REFERENCE}}</code></dd>
</dl>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="receipt-lines">
<table>
<caption id="receipt-lines">{{t_payments__invoice__lines}}</caption>
<thead><tr><th scope="col">{{t_payments__invoice__item}}</th><th scope="col">{{t_payments__invoice__amount}}</th></tr></thead>
<tbody>
{{#LINE}}<tr><td>{{DESCRIPTION}}</td><td>{{AMOUNT}}</td></tr>
{{/LINE}}</tbody>
<tfoot><tr><th scope="row">{{t_payments__invoice__total}}</th><td>{{TOTAL}}</td></tr></tfoot>
</table>
</div>
{{/INVOICE}}<p class="no-print">{{t_payments__receipt__print_hint}}</p>
{{#PDF}}<p class="no-print"><a href="{{PDF_HREF}}" download>{{t_payments__receipt__pdf}}</a></p>
{{/PDF}}
</article>
