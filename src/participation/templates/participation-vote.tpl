{{%AUTOESCAPE context="HTML"}}<p><a href="{{PROCESS_HREF}}">{{t_participation__back}}: {{PROCESS}}</a></p>
<h1>{{TITLE}}</h1>
<p class="lead">{{RULE}}</p>
{{#REFUSED}}<div class="notice" role="alert"><p>{{REFUSAL}}</p></div>
{{/REFUSED}}{{#PUBLISHED}}<h2 id="results-title">{{t_participation__vote__results}}</h2>
<p>{{t_participation__vote__published}} {{PUBLISHED_AT}}</p>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="results-title">
<table>
<thead><tr><th scope="col">{{t_participation__vote__number}}</th><th scope="col">{{t_participation__vote__option}}</th><th scope="col">{{t_participation__vote__cost}}</th><th scope="col">{{t_participation__vote__votes}}</th><th scope="col">{{t_participation__vote__outcome}}</th></tr></thead>
<tbody>
{{#RESULT}}<tr><td>{{NUMBER_SHOWN}}</td><td dir="auto">{{TITLE}}</td><td>{{#HAS_COST}}{{COST}}{{/HAS_COST}}</td><td>{{VOTES}}</td><td>{{#SELECTED}}<strong>{{t_participation__vote__selected}}</strong>{{/SELECTED}}</td></tr>
{{/RESULT}}</tbody>
</table>
</div>
{{/PUBLISHED}}{{#BALLOT}}<form method="post" action="{{ACTION}}"><input type="hidden" name="csrf" value="{{CSRF}}">
<fieldset><legend>{{t_participation__vote__choose}}</legend>
{{#OPTION}}<div class="field"><input type="checkbox" id="option-{{NUMBER}}" name="option" value="{{NUMBER}}"> <label for="option-{{NUMBER}}">{{NUMBER_SHOWN}}. <span dir="auto">{{TITLE}}</span>{{#HAS_COST}} — {{COST}}{{/HAS_COST}}</label></div>
{{/OPTION}}</fieldset>
<button type="submit" class="button">{{t_participation__vote__submit}}</button></form>
{{/BALLOT}}{{#VOTED}}<p class="notice">{{t_participation__vote__voted}}</p>
{{/VOTED}}{{#CLOSED}}<p>{{t_participation__vote__closed}}</p>
{{/CLOSED}}{{#SIGN_IN}}<p>{{t_participation__vote__sign_in}} <a href="{{LOGIN_HREF}}">{{t_participation__sign_in_link}}</a></p>
{{/SIGN_IN}}{{#HAS_LIST}}<ol>
{{#LISTED}}<li dir="auto">{{TITLE}}{{#HAS_COST}} — {{COST}}{{/HAS_COST}}</li>
{{/LISTED}}</ol>
{{/HAS_LIST}}{{#SMS_OPEN}}<h2>{{t_participation__vote__other_ways}}</h2>
<p>{{SMS}}</p>
<p>{{t_participation__vote__counter}}</p>
{{/SMS_OPEN}}
